//! Every error code the core can produce comes from a real bad input, and the session keeps
//! working afterwards.
