# Sends strlen(text) bytes: the receiver gets no terminating NUL.
s/strlen(text) + 1, 0)/strlen(text), 0)/
