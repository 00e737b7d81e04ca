# Links the board's entries by their addresses in the writer's mapping:
# fine while that mapping lives, meaningless at any other address.
/^static uint64_t offset_of/,/^}/s/return (uint64_t)((const char \*)p - (const char \*)base);/(void)base;\
    return (uint64_t)(uintptr_t)p;/
/^static struct board_entry \*entry_at/,/^}/{
/^{$/,/^}$/c\
{\
    (void)base;\
    (void)size;\
    return (struct board_entry *)(uintptr_t)off;\
}
}
