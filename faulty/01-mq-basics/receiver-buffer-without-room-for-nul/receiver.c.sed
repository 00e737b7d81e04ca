# The buffer holds MSGSIZE bytes: a full-size message loses its last byte.
s/char text\[MSGSIZE + 1\];/char text[MSGSIZE];/
