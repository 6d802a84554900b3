// SPDX-License-Identifier: MIT
// A stand-in for a user's ZAI_CAPTCHA_COMMAND in testCommandCaptchaSource: what it prints and
// how it ends is chosen by its first argument.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (std::strcmp(mode, "print") == 0 && argc > 2) { // one parameter, noise on stderr
        std::fprintf(stderr, "asking the captcha service...\n");
        std::printf("%s\n", argv[2]);
        return 0;
    }
    if (std::strcmp(mode, "file") == 0 && argc > 2) { // a parameter kept in a file
        if (std::FILE *file = std::fopen(argv[2], "rb")) {
            char buffer[16384];
            const size_t n = std::fread(buffer, 1, sizeof buffer, file);
            std::fclose(file);
            std::fwrite(buffer, 1, n, stdout);
            std::putchar('\n');
            return 0;
        }
        std::fprintf(stderr, "cannot read %s\n", argv[2]);
        return 4;
    }
    if (std::strcmp(mode, "env") == 0 && argc > 2) { // the value of an environment variable
        const char *value = std::getenv(argv[2]);
        std::printf("%s\n", value ? value : "unset");
        return 0;
    }
    if (std::strcmp(mode, "fail") == 0) {
        std::fprintf(stderr, "first line\nno browser session to ask\n");
        return 3;
    }
    if (std::strcmp(mode, "hang") == 0) {
        std::this_thread::sleep_for(std::chrono::seconds(60));
        return 0;
    }
    if (std::strcmp(mode, "garbage") == 0) {
        const char bytes[] = {'\x01', '\x02', 'a', '\x7f', '\xff', '\n'};
        std::fwrite(bytes, 1, sizeof bytes, stdout);
        return 0;
    }
    if (std::strcmp(mode, "lines") == 0) {
        std::printf("one\ntwo\n");
        return 0;
    }
    if (std::strcmp(mode, "huge") == 0) {
        for (int i = 0; i < 9000; ++i)
            std::putchar('x');
        std::putchar('\n');
        return 0;
    }
    if (std::strcmp(mode, "crash") == 0)
        std::abort();
    return 0; // prints nothing
}
