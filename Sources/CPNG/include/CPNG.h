#ifndef NEEDLELOG_CPNG_H
#define NEEDLELOG_CPNG_H

#include <stddef.h>
#include <stdint.h>

// libpng reports errors by longjmp. Each function below owns its setjmp for the
// whole encode or decode, so a longjmp unwinds C frames only and comes back here as
// a status code with a message: it never crosses a Swift frame.

typedef enum {
    NL_PNG_OK = 0,
    NL_PNG_CORRUPT = 1,      // libpng refused the data (bad CRC, bad zlib stream, ...)
    NL_PNG_TOO_LARGE = 2,    // the header claims more than the caller allows
    NL_PNG_NOT_PNG = 3,      // no PNG signature
    NL_PNG_NO_MEMORY = 4,
    NL_PNG_BAD_ARGUMENT = 5, // caller error: zero size, channels not 1 or 3, ...
} nl_png_status;

typedef struct {
    const char *key;    // 1-79 Latin-1 characters
    const char *value;  // UTF-8
} nl_png_text;

typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
} nl_png_buffer;

typedef struct {
    uint32_t width;
    uint32_t height;
    int channels;        // 1 (8-bit gray) or 3 (8-bit RGB) after normalisation
    uint8_t *pixels;     // width * channels bytes per row, no padding
    size_t pixels_size;
    int text_count;
    char **keys;
    char **values;
} nl_png_image;

// Encodes 8-bit gray (channels 1) or RGB (channels 3) rows `stride` bytes apart.
// compression_level 0-9 (zlib); filter: 0 libpng's adaptive choice, 1 none, 2 sub,
// 3 up, 4 average, 5 paeth. On success `out` holds the file; free it with
// nl_png_buffer_free. On failure `message` holds libpng's reason.
nl_png_status nl_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                            int channels, size_t stride, int compression_level, int filter,
                            const nl_png_text *texts, int text_count,
                            nl_png_buffer *out, char *message, size_t message_size);
void nl_png_buffer_free(nl_png_buffer *buffer);

// Reads the IHDR size without libpng, so an absurd header can be refused before
// anything is allocated.
nl_png_status nl_png_peek_size(const uint8_t *data, size_t size, uint32_t *width, uint32_t *height);

// Decodes any PNG into 8-bit gray or RGB (palette expanded, 16-bit reduced, alpha
// dropped) with its text chunks. Images wider or taller than the limits are refused
// before pixel memory is allocated. Free `out` with nl_png_image_free.
nl_png_status nl_png_decode(const uint8_t *data, size_t size, uint32_t max_width,
                            uint32_t max_height, nl_png_image *out,
                            char *message, size_t message_size);
void nl_png_image_free(nl_png_image *image);

#endif
