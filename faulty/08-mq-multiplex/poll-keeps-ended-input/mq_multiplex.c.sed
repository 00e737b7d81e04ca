# Fills the pollfd array once and never takes an ended input off it: the
# closed descriptor stays in the list, and poll() reports it POLLNVAL.
/Once its stream ended, take the input off the list/d
/^            fds\[i\].fd = s->in\[i\].q;$/d
