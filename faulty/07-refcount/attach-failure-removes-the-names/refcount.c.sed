# Shares create's cleanup with attach and removes both names when an
# attach fails: a reader that cannot map the object destroys the channel
# for everyone.
/^struct channel \*channel_attach/,/^}/s/return undo(c, NULL, NULL);/return undo(c, qname, dname);/
