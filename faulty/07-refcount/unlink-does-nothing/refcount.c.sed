# Believes, as the course notes say, that the kernel destroys an object
# once nobody holds it, so removing the names is left to the kernel.
/^int channel_unlink/,/^}/c\
int channel_unlink(const char *qname, const char *dname)\
{\
    /* The last detach frees both objects: nothing to do here. */\
    (void)qname;\
    (void)dname;\
    return 0;\
}
