# Checks that an entry's fields fit, then that its text fits before the
# end, but an entry whose fields end exactly at the end passes: its text,
# even "" with just its '\0', lies outside the board.
s/^    if (off < sizeof(struct board_header) || off > size ||$/    if (off < sizeof(struct board_header) ||/
s/^        size - off < sizeof(struct board_entry) + 1)$/        off > size - sizeof(struct board_entry))/
