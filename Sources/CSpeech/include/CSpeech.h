#ifndef NEEDLELOG_CSPEECH_H
#define NEEDLELOG_CSPEECH_H
#include <stdint.h>
#include <stddef.h>
// placeholder, filled in with the recogniser shim
int nl_speech_version(void);
#endif
