// The floor of benchmarks/cpu_per_image.sh, and the image it measures.
//
//   png_floor make OUT.png      writes a 1024x1024 8-bit RGB PNG
//                               (1.43 MB) that compresses like a photograph: smooth shapes
//                               plus a few bits of noise, each row filtered with
//                               libpng's heuristic (the filter of least sum of
//                               absolute values), zlib level 6.
//   png_floor inflate FILE N    inflates the IDAT data of FILE N times and prints
//                               the CPU seconds of one inflate (nothing else:
//                               no CRC, no unfiltering).
//
// Build: cc -O2 -o png_floor png_floor.c -lz
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

enum { W = 1024, H = 1024, CH = 3, ROW = W * CH };

static void put32(uint8_t *p, uint32_t v) {
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

static void chunk(FILE *f, const char *kind, const uint8_t *data, uint32_t length) {
    uint8_t head[8];
    put32(head, length);
    memcpy(head + 4, kind, 4);
    uint32_t crc = crc32(crc32(0, (const Bytef *)kind, 4), data ? data : (const uint8_t *)"", length);
    uint8_t tail[4];
    put32(tail, crc);
    fwrite(head, 1, 8, f);
    fwrite(data, 1, length, f);
    fwrite(tail, 1, 4, f);
}

static int paeth(int a, int b, int c) {
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

static int make(const char *path) {
    static uint8_t image[H][ROW];
    uint32_t seed = 12345;
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            for (int c = 0; c < CH; c++) {
                seed = seed * 1103515245u + 12345u;
                int noise = (seed >> 16) & 0x07;  // 3 bits of noise, like sensor grain: ~1.4 MB
                int smooth = ((x * (c + 1)) / 5 + (y * (3 - c)) / 7 + ((x ^ y) >> 5) * 9) & 0xFF;
                image[y][x * CH + c] = (uint8_t)(smooth + noise);
            }
        }
    }
    size_t raw_length = (size_t)H * (1 + ROW);
    uint8_t *raw = malloc(raw_length);
    uint8_t candidate[5][ROW];
    for (int y = 0; y < H; y++) {
        const uint8_t *row = image[y], *up = y > 0 ? image[y - 1] : NULL;
        long best_sum = -1;
        int best = 0;
        for (int f = 0; f < 5; f++) {
            long sum = 0;
            for (int i = 0; i < ROW; i++) {
                int a = i >= CH ? row[i - CH] : 0, b = up ? up[i] : 0, c = up && i >= CH ? up[i - CH] : 0;
                int predicted = f == 0 ? 0 : f == 1 ? a : f == 2 ? b : f == 3 ? (a + b) / 2 : paeth(a, b, c);
                uint8_t v = (uint8_t)(row[i] - predicted);
                candidate[f][i] = v;
                sum += v < 128 ? v : 256 - v;
            }
            if (best_sum < 0 || sum < best_sum) best_sum = sum, best = f;
        }
        raw[(size_t)y * (1 + ROW)] = (uint8_t)best;
        memcpy(raw + (size_t)y * (1 + ROW) + 1, candidate[best], ROW);
    }
    uLongf packed_length = compressBound(raw_length);
    uint8_t *packed = malloc(packed_length);
    if (compress2(packed, &packed_length, raw, raw_length, 6) != Z_OK) return 1;
    FILE *f = fopen(path, "wb");
    if (!f) return 1;
    fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
    uint8_t ihdr[13] = {0};
    put32(ihdr, W);
    put32(ihdr + 4, H);
    ihdr[8] = 8;
    ihdr[9] = 2;
    chunk(f, "IHDR", ihdr, 13);
    // IDATs of 64 KiB, as encoders write them.
    for (uLongf at = 0; at < packed_length; at += 65536) {
        chunk(f, "IDAT", packed + at, packed_length - at < 65536 ? (uint32_t)(packed_length - at) : 65536);
    }
    chunk(f, "IEND", NULL, 0);
    fclose(f);
    free(raw);
    free(packed);
    return 0;
}

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int inflate_file(const char *path, int times) {
    FILE *f = fopen(path, "rb");
    if (!f) return 1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    uint8_t *png = malloc(n), *idat = malloc(n);
    if (fread(png, 1, n, f) != (size_t)n) return 1;
    fclose(f);
    size_t idat_length = 0, rows = 0;
    for (long at = 8; at + 12 <= n;) {
        uint32_t length = (uint32_t)png[at] << 24 | png[at + 1] << 16 | png[at + 2] << 8 | png[at + 3];
        if (memcmp(png + at + 4, "IHDR", 4) == 0) {
            uint32_t w = (uint32_t)png[at + 8] << 24 | png[at + 9] << 16 | png[at + 10] << 8 | png[at + 11];
            uint32_t h = (uint32_t)png[at + 12] << 24 | png[at + 13] << 16 | png[at + 14] << 8 | png[at + 15];
            rows = (size_t)h * (1 + (size_t)w * 4 * 2);  // room for up to 16-bit RGBA
        }
        if (memcmp(png + at + 4, "IDAT", 4) == 0) {
            memcpy(idat + idat_length, png + at + 8, length);
            idat_length += length;
        }
        at += 12 + (long)length;
    }
    // Inflated into a buffer of the whole image, zlib's fastest case.
    uint8_t *out = malloc(rows);
    double start = cpu_seconds();
    for (int i = 0; i < times; i++) {
        uLongf out_length = rows;
        if (uncompress(out, &out_length, idat, idat_length) != Z_OK) return 1;
    }
    printf("%.6f\n", (cpu_seconds() - start) / times);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "make") == 0) return make(argv[2]);
    if (argc == 4 && strcmp(argv[1], "inflate") == 0) return inflate_file(argv[2], atoi(argv[3]));
    fprintf(stderr, "usage: png_floor make OUT.png | png_floor inflate FILE N\n");
    return 2;
}
