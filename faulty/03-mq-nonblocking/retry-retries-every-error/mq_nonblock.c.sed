# Retries whatever the error: EMSGSIZE or EBADF never go away, so the
# call sleeps until the deadline and reports ETIMEDOUT instead.
/^int nb_send_retry/,/^}/{
/^        if (errno != EAGAIN)$/,/^            return -1;$/d
}
