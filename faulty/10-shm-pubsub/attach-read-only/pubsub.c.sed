# "A subscriber only reads the record": opens and maps the object read
# only. But the lock lives in the mapping, and locking writes to it: the
# first ps_read, ps_subscribe or ps_increment is a SIGSEGV.
s/return map_object(h, name, O_RDWR, PROT_READ | PROT_WRITE);/return map_object(h, name, O_RDONLY, PROT_READ);/
