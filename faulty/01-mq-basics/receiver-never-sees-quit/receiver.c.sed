# Compares with "quit\n", as if the message held a line: the receiver
# waits in mq_receive forever.
s/strcmp(text, "quit")/strcmp(text, "quit\\n")/
