# Copies the text's characters into OUT but not its '\0', trusting OUT
# to be zeroed already: the caller gets an unterminated string.
s/memcpy(out, c->data, (size_t)len + 1);/memcpy(out, c->data, (size_t)len);/
