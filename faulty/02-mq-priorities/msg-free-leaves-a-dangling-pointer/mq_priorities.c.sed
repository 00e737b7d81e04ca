# Frees the data but leaves msg->data pointing at it.
/^    msg->data = NULL;$/d
