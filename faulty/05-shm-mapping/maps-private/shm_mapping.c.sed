# Maps with MAP_PRIVATE: every process writes into its own copy, which
# neither the object nor any other mapping ever sees.
s/mmap(NULL, len, prot, MAP_SHARED, fd, 0)/mmap(NULL, len, prot, MAP_PRIVATE, fd, 0)/
