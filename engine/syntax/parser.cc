#include "engine/syntax/parser.h"
