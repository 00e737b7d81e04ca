# Registers again after every signal it takes, as if each were a
# notification: after a kill() the registration was still in place, so
# mq_notify fails with EBUSY.
s/^    if (info.si_code == SI_MESGQ && nq_watch_signal(c->q, c->signo, c) == -1)$/    if (nq_watch_signal(c->q, c->signo, c) == -1)/
