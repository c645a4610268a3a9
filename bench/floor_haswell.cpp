// simdjson's on-demand walk compiled for the AVX2 (haswell) kernel with target attributes, so a
// baseline build can still compare the two kernels; only called when the CPU has AVX2.
#if defined(__x86_64__)
#define SIMDJSON_BUILTIN_IMPLEMENTATION haswell
#include <simdjson.h>

#define KEYWAY_FLOOR_FUNCTION floorWalkHaswell
#define KEYWAY_FLOOR_REGION_BEGIN SIMDJSON_TARGET_HASWELL
#define KEYWAY_FLOOR_REGION_END SIMDJSON_UNTARGET_HASWELL
#include "floor_walk.inc"
#else
#include <cstddef>
long long floorWalkHaswell(const char*, size_t)
{
    return -1;
}
#endif
