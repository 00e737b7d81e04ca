# When the object's name is taken, closes the queue it has just created
# but does not remove it: the queue's name stays behind.
s|return undo(c, qname, NULL);  /\* the queue is ours, the name not \*/|return undo(c, NULL, NULL);  /* close the queue */|
