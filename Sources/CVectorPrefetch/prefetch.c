// The prefetch hint is an inline function of the header; this file gives the C target its one source file.
#include "CVectorPrefetch.h"
