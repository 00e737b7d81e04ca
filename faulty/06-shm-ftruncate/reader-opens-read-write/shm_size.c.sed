# Opens the object O_RDWR "to be safe" and maps it PROT_READ: a reader
# that may not write the object cannot open it at all.
/^struct shm_view \*shm_open_reader/,/^}/s/int fd = shm_open(name, O_RDONLY, 0);/int fd = shm_open(name, O_RDWR, 0);/
