# Believes closing the last descriptor destroys the queue (the course
# notes' mistake), so never calls mq_unlink.
s/return mq_unlink(name);/(void)name; return 0;/
