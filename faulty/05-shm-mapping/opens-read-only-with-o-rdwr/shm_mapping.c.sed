# Opens every object O_RDWR "to be safe" and lets the protection decide:
# a reader that may not write the object cannot open it at all.
s/int oflag = access == SHM_READ_WRITE ? O_RDWR : O_RDONLY;/int oflag = O_RDWR;/
