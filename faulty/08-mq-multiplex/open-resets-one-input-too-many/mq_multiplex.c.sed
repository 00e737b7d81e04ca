# Marks "no queue" in every entry, counting to MUX_MAX_INPUTS inclusive:
# the last write lands past in[], beyond the struct.
/^int mux_open/,/^}/s/for (int i = 0; i < MUX_MAX_INPUTS; i++)/for (int i = 0; i <= MUX_MAX_INPUTS; i++)/
