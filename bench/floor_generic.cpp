// simdjson's on-demand walk compiled for the kernel the build targets (baseline x86-64: the generic one).
#include <simdjson.h>

#define KEYWAY_FLOOR_FUNCTION floorWalkGeneric
#define KEYWAY_FLOOR_REGION_BEGIN
#define KEYWAY_FLOOR_REGION_END
#include "floor_walk.inc"
