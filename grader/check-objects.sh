#!/bin/sh
# check-objects.sh RESERVED OBJ... - refuses a student's compiled objects
# that could run code in the grader's own processes or reach into them.
#
# The student's code is linked into the Criterion runner's program, and
# the runner writes the records the score is made from; it must never run
# a line of the student's code. Code runs without being called through
#   - constructors and destructors (.init_array, .ctors, .fini_array, ...)
#     and any section a C file does not make on its own;
#   - GNU indirect functions, whose resolver runs when the program loads;
#   - a global that takes the name of a function of the C library, of
#     Criterion or of the harness: the linker would call it instead.
# And the worker reports through Criterion, so the student's code may not
# name Criterion's, the harness's or the dynamic loader's functions.
#
# RESERVED is a file of names (one a line) that the C library, Criterion
# and the harness define; grade.sh makes it once (build/cache).
# Prints one line per finding, for the student; exit 1 if any.
set -u
reserved=$1
shift
found=0
for obj in "$@"; do
    file=$(basename "$obj" .o).c
    bad_sections=$(readelf -SW "$obj" | awk '/^ *\[ *[0-9]+\]/ {
            sub(/^ *\[ *[0-9]+\] */, ""); print $1 }' |
        grep -v -e '^NULL$' -e '^\.text' -e '^\.rela\.text' -e '^\.data' \
            -e '^\.rela\.data' -e '^\.bss' -e '^\.rodata' -e '^\.rela\.rodata' \
            -e '^\.tdata' -e '^\.tbss' -e '^\.comment$' -e '^\.note\.GNU-stack$' \
            -e '^\.note\.gnu\.property$' -e '^\.eh_frame$' -e '^\.rela\.eh_frame$' \
            -e '^\.debug_' -e '^\.rela\.debug_' -e '^\.symtab$' -e '^\.strtab$' \
            -e '^\.shstrtab$' -e '^\.group$' -e '^\.symtab_shndx$' |
        grep -v '^\.rela\.')  # a .rela.X comes with its X, named already
    for s in $bad_sections; do
        case $s in
        *init_array*|*ctors*|*fini_array*|*dtors*|.init|.fini)
            why="a constructor or destructor (code that runs before main or after it)" ;;
        *) why="a section C code does not make on its own" ;;
        esac
        echo "$file: refused: it has $s, $why. The grader runs only the functions the tests call."
        found=1
    done
    # nm -P: NAME TYPE [VALUE SIZE]
    nm -P "$obj" | while read -r name type rest; do
        case $type in
        i) echo "$file: refused: $name is a GNU indirect function (its resolver would run in the grader)"
           echo x ;;
        U|w|v)
            case $name in
            dlsym|dlvsym|dlopen|dlmopen|__libc_dlsym|__libc_dlopen_mode|_dl_*)
                echo "$file: refused: it calls $name; the labs need no dynamic loading"
                echo x ;;
            esac
            if grep -qxF -- "$name" "$reserved.harness"; then
                echo "$file: refused: it calls $name, which belongs to the grader, not to your code"
                echo x
            fi ;;
        T|D|B|R|V|W|C|G|S)
            if grep -qxF -- "$name" "$reserved" || grep -qxF -- "$name" "$reserved.harness"; then
                echo "$file: refused: it defines $name, a name the C library or the grader already uses. Rename it, or make it static."
                echo x
            fi ;;
        esac
    done >"$obj.findings"
    if grep -qvx x "$obj.findings"; then
        grep -vx x "$obj.findings"
        found=1
    fi
    rm -f "$obj.findings"
done
exit $found
