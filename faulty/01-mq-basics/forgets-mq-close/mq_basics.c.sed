# Believes the descriptor closes itself at exit.
s/return mq_close(q);/(void)q; return 0;/
