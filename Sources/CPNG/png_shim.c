#include "CPNG.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Carried through libpng's error pointer: where to write the reason.
typedef struct {
    char *message;
    size_t message_size;
} nl_error_sink;

static void nl_copy_message(char *message, size_t message_size, const char *text) {
    if (message == NULL || message_size == 0) return;
    snprintf(message, message_size, "%s", text);
}

// libpng calls this on any error and must not return: record the text and jump
// back to the setjmp in the function that started the work.
static void nl_on_error(png_structp png, png_const_charp text) {
    nl_error_sink *sink = (nl_error_sink *)png_get_error_ptr(png);
    if (sink != NULL) nl_copy_message(sink->message, sink->message_size, text);
    png_longjmp(png, 1);
}

// Warnings (for example a bad CRC in an ancillary chunk, which libpng skips) are
// not failures; the decoded result is still correct.
static void nl_on_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

// MARK: - Encode

static void nl_write_to_buffer(png_structp png, png_bytep bytes, png_size_t length) {
    nl_png_buffer *buffer = (nl_png_buffer *)png_get_io_ptr(png);
    if (buffer->size + length > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 65536;
        while (capacity < buffer->size + length) capacity *= 2;
        uint8_t *grown = realloc(buffer->data, capacity);
        if (grown == NULL) png_error(png, "out of memory while writing PNG");
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, bytes, length);
    buffer->size += length;
}

static void nl_flush_nothing(png_structp png) { (void)png; }

static int nl_is_ascii(const char *text) {
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c >= 0x80) return 0;
    }
    return 1;
}

nl_png_status nl_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                            int channels, size_t stride, int compression_level, int filter,
                            const nl_png_text *texts, int text_count,
                            nl_png_buffer *out, char *message, size_t message_size) {
    memset(out, 0, sizeof(*out));
    if (width == 0 || height == 0 || (channels != 1 && channels != 3) ||
        stride < (size_t)width * (size_t)channels || compression_level < 0 ||
        compression_level > 9 || filter < 0 || filter > 5 || text_count < 0) {
        nl_copy_message(message, message_size, "invalid arguments to PNG encode");
        return NL_PNG_BAD_ARGUMENT;
    }
    nl_error_sink sink = {message, message_size};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, nl_on_error, nl_on_warning);
    if (png == NULL) return NL_PNG_NO_MEMORY;
    png_infop info = png_create_info_struct(png);
    // Locals changed after setjmp must be volatile to survive the longjmp.
    png_textp volatile text_chunks = NULL;
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        return NL_PNG_NO_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(text_chunks);
        nl_png_buffer_free(out);
        return NL_PNG_CORRUPT;
    }
    png_set_write_fn(png, out, nl_write_to_buffer, nl_flush_nothing);
    png_set_IHDR(png, info, width, height, 8,
                 channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, compression_level);
    static const int filters[] = {
        PNG_ALL_FILTERS, PNG_FILTER_NONE, PNG_FILTER_SUB, PNG_FILTER_UP, PNG_FILTER_AVG, PNG_FILTER_PAETH,
    };
    png_set_filter(png, PNG_FILTER_TYPE_BASE, filters[filter]);
    if (text_count > 0) {
        text_chunks = calloc((size_t)text_count, sizeof(png_text));
        if (text_chunks == NULL) png_error(png, "out of memory for text chunks");
        for (int i = 0; i < text_count; i++) {
            // tEXt is Latin-1 only; UTF-8 values go in iTXt.
            text_chunks[i].compression = nl_is_ascii(texts[i].value) ? PNG_TEXT_COMPRESSION_NONE
                                                                     : PNG_ITXT_COMPRESSION_NONE;
            text_chunks[i].key = (png_charp)texts[i].key;
            text_chunks[i].text = (png_charp)texts[i].value;
            text_chunks[i].text_length = strlen(texts[i].value);
        }
        png_set_text(png, info, text_chunks, text_count);
    }
    png_write_info(png, info);
    for (uint32_t y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)(pixels + (size_t)y * stride));
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(text_chunks);
    return NL_PNG_OK;
}

void nl_png_buffer_free(nl_png_buffer *buffer) {
    free(buffer->data);
    memset(buffer, 0, sizeof(*buffer));
}

// MARK: - Decode

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
} nl_png_reader;

static void nl_read_from_memory(png_structp png, png_bytep bytes, png_size_t length) {
    nl_png_reader *reader = (nl_png_reader *)png_get_io_ptr(png);
    if (length > reader->size - reader->offset) png_error(png, "file ends early (truncated PNG)");
    memcpy(bytes, reader->data + reader->offset, length);
    reader->offset += length;
}

static uint32_t nl_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

nl_png_status nl_png_peek_size(const uint8_t *data, size_t size, uint32_t *width, uint32_t *height) {
    if (size < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0) return NL_PNG_NOT_PNG;
    // Signature, then the IHDR chunk: length (4), "IHDR" (4), width (4), height (4).
    if (size < 24 || memcmp(data + 12, "IHDR", 4) != 0) return NL_PNG_CORRUPT;
    *width = nl_be32(data + 16);
    *height = nl_be32(data + 20);
    return NL_PNG_OK;
}

static void nl_free_text(nl_png_image *image) {
    for (int i = 0; i < image->text_count; i++) {
        if (image->keys) free(image->keys[i]);
        if (image->values) free(image->values[i]);
    }
    free(image->keys);
    free(image->values);
    image->keys = NULL;
    image->values = NULL;
    image->text_count = 0;
}

void nl_png_image_free(nl_png_image *image) {
    free(image->pixels);
    nl_free_text(image);
    memset(image, 0, sizeof(*image));
}

static void nl_copy_text(png_structp png, png_infop info, nl_png_image *out) {
    png_textp chunks = NULL;
    int count = 0;
    png_get_text(png, info, &chunks, &count);
    if (count <= 0) return;
    out->keys = calloc((size_t)count, sizeof(char *));
    out->values = calloc((size_t)count, sizeof(char *));
    if (out->keys == NULL || out->values == NULL) png_error(png, "out of memory for text chunks");
    for (int i = 0; i < count; i++) {
        out->keys[i] = strdup(chunks[i].key);
        out->values[i] = strdup(chunks[i].text ? chunks[i].text : "");
        out->text_count = i + 1;
        if (out->keys[i] == NULL || out->values[i] == NULL) png_error(png, "out of memory for text chunks");
    }
}

// libpng allocates a buffer of a chunk's declared length before reading its data, and
// libpng 1.6 only warns (a benign error) when that length passes png_set_chunk_malloc_max:
// a 41-byte file whose iTXt chunk claims 654 MB made it allocate 654 MB. Every chunk up to
// IEND is read, so one that runs past the end of the data fails anyway; walking the chunk
// lengths first refuses it before libpng allocates anything, naming the chunk.
static nl_png_status nl_png_check_chunk_lengths(const uint8_t *data, size_t size, char *message, size_t message_size) {
    size_t offset = 8;
    while (size - offset >= 8) {
        uint32_t length = nl_be32(data + offset);
        const uint8_t *type = data + offset + 4;
        size_t remaining = size - offset - 8;
        if (length > 0x7fffffffu || (size_t)length > remaining || remaining - (size_t)length < 4) {
            char name[5];
            for (int i = 0; i < 4; i++) name[i] = (type[i] >= 0x20 && type[i] < 0x7f) ? (char)type[i] : '?';
            name[4] = 0;
            snprintf(message, message_size, "file ends early (truncated PNG): the %s chunk claims %u bytes, %zu remain",
                     name, length, remaining >= 4 ? remaining - 4 : 0);
            return NL_PNG_CORRUPT;
        }
        if (memcmp(type, "IEND", 4) == 0) break;
        offset += 8 + (size_t)length + 4;
    }
    return NL_PNG_OK;
}

nl_png_status nl_png_decode(const uint8_t *data, size_t size, uint32_t max_width,
                            uint32_t max_height, nl_png_image *out,
                            char *message, size_t message_size) {
    memset(out, 0, sizeof(*out));
    uint32_t claimed_width = 0, claimed_height = 0;
    nl_png_status peek = nl_png_peek_size(data, size, &claimed_width, &claimed_height);
    if (peek == NL_PNG_NOT_PNG) {
        nl_copy_message(message, message_size, "no PNG signature");
        return peek;
    }
    if (peek != NL_PNG_OK) {
        nl_copy_message(message, message_size, "the first chunk is not IHDR");
        return peek;
    }
    if (claimed_width > max_width || claimed_height > max_height) {
        snprintf(message, message_size, "header claims %ux%u pixels, more than the %ux%u allowed",
                 claimed_width, claimed_height, max_width, max_height);
        return NL_PNG_TOO_LARGE;
    }
    nl_png_status lengths = nl_png_check_chunk_lengths(data, size, message, message_size);
    if (lengths != NL_PNG_OK) return lengths;
    nl_error_sink sink = {message, message_size};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &sink, nl_on_error, nl_on_warning);
    if (png == NULL) return NL_PNG_NO_MEMORY;
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        return NL_PNG_NO_MEMORY;
    }
    nl_png_reader reader = {data, size, 0};
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        nl_png_image_free(out);
        return NL_PNG_CORRUPT;
    }
    // Belt and braces: libpng itself refuses a larger IHDR, and caps the memory for
    // decompressed text and profiles (declared chunk lengths are checked above).
    png_set_user_limits(png, max_width, max_height);
    png_set_chunk_malloc_max(png, 64u * 1024u * 1024u);
    png_set_read_fn(png, &reader, nl_read_from_memory);
    png_read_info(png, info);

    int color_type = png_get_color_type(png, info);
    int bit_depth = png_get_bit_depth(png, info);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (bit_depth == 16) png_set_strip_16(png);
    if (color_type & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    int channels = png_get_channels(png, info);
    if (channels != 1 && channels != 3) png_error(png, "unsupported PNG layout after conversion");
    uint32_t width = png_get_image_width(png, info);
    uint32_t height = png_get_image_height(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    if (row_bytes != (size_t)width * (size_t)channels) png_error(png, "unexpected PNG row size");

    out->width = width;
    out->height = height;
    out->channels = channels;
    out->pixels_size = row_bytes * height;
    out->pixels = malloc(out->pixels_size);
    png_bytep *rows = malloc(sizeof(png_bytep) * height);
    if (out->pixels == NULL || rows == NULL) {
        free(rows);
        png_error(png, "out of memory for PNG pixels");
    }
    for (uint32_t y = 0; y < height; y++) rows[y] = out->pixels + (size_t)y * row_bytes;
    // png_read_image may longjmp: keep `rows` reachable from a volatile for cleanup.
    png_bytep *volatile rows_to_free = rows;
    if (setjmp(png_jmpbuf(png))) {
        free(rows_to_free);
        png_destroy_read_struct(&png, &info, NULL);
        nl_png_image_free(out);
        return NL_PNG_CORRUPT;
    }
    png_read_image(png, rows);
    png_read_end(png, info);
    free(rows_to_free);
    nl_copy_text(png, info, out);
    png_destroy_read_struct(&png, &info, NULL);
    return NL_PNG_OK;
}
