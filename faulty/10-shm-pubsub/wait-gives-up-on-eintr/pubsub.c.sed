# Takes EINTR as a failure: a signal during the wait makes ps_wait fail
# although the notification is there.
s/        if (errno != EINTR)$/        if (1)/
