# Trusts the board: turns every offset into an address without checking
# it against the size, as if no other process could write the board.
/^static struct board_entry \*entry_at/,/^}/{
/^{$/,/^}$/c\
{\
    (void)size;\
    return (struct board_entry *)((const char *)base + off);\
}
}
