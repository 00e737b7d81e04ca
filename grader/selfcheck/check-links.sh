#!/bin/sh
# check-links.sh - every relative link in the project's Markdown leads
# somewhere: the file exists and, for "file.md#anchor", so does the
# section (GitHub's anchors: lower case, punctuation dropped, spaces to
# '-'). Exit status: 0 all good, 1 a broken link (each is printed).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
broken=0
checked=0

anchors_of() {
    sed -n 's/^#\{1,6\} \{1,\}//p' "$1" | tr 'A-Z' 'a-z' |
        sed -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g'
}

for md in $(find . -name '*.md' -not -path './build/*' -not -path './.git/*' | sort); do
    dir=$(dirname "$md")
    # ](target) links, outside code spans is good enough for these files.
    for target in $(grep -o '](\([^)]*\))' "$md" | sed 's/^](\(.*\))$/\1/' | sort -u); do
        case $target in
        http://*|https://*|mailto:*) continue ;;
        esac
        checked=$((checked + 1))
        file=${target%%#*}
        anchor=""
        case $target in *'#'*) anchor=${target#*#} ;; esac
        [ -n "$file" ] && path=$dir/$file || path=$md
        if [ ! -e "$path" ]; then
            echo "broken: $md links to $target (no file $path)"
            broken=$((broken + 1))
        elif [ -n "$anchor" ] && case $path in *.md) true ;; *) false ;; esac &&
             ! anchors_of "$path" | grep -qx "$anchor"; then
            echo "broken: $md links to $target (no section #$anchor)"
            broken=$((broken + 1))
        fi
    done
done
echo "links: $checked checked, $broken broken"
[ "$broken" = 0 ]
