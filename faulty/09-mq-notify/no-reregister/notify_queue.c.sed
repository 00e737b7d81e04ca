# Believes a registration lasts: after a notification the consumer drains
# but never registers again, so it hears of the first message only.
/^        (void)nq_watch_thread(c->q, on_notify, c);$/d
/if (info.si_code == SI_MESGQ && nq_watch_signal(c->q, c->signo, c) == -1)/,/return -1;/d
