#include "CSpeech.h"
#include <pocketsphinx.h>
int nl_speech_version(void) { return 5; }
