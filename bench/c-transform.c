/* The benchmark's transform floor: what the wrapper's line path does (split lines, join continuation lines, escape
 * to ASCII JSON, frame as LOG or ITM), in plain C reading the command's stdout and writing the pipe through one
 * large buffer. No validation, no stats, no signals: a bound on the work itself, not a wrapper to use.
 * Built by bench/run.js when a C compiler is present: cc -O2 -o c-transform c-transform.c */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static char out[1 << 16];
static size_t used;
static int fifo;

static void flush_out(void) {
  size_t done = 0;
  while (done < used) {
    ssize_t n = write(fifo, out + done, used - done);
    if (n <= 0) exit(125);
    done += (size_t)n;
  }
  used = 0;
}

static void put(const char *text, size_t length) {
  if (used + length > sizeof out) flush_out();
  if (length > sizeof out) {
    if (write(fifo, text, length) != (ssize_t)length) exit(125);
    return;
  }
  memcpy(out + used, text, length);
  used += length;
}

static void put_escaped_unit(unsigned code) {
  static const char hex[] = "0123456789abcdef";
  char text[6] = {'\\', 'u', hex[(code >> 12) & 15], hex[(code >> 8) & 15], hex[(code >> 4) & 15], hex[code & 15]};
  put(text, 6);
}

/* UTF-8 text as ASCII JSON, as Python's json.dumps writes it: the inside of a string, or (json_text) the text of a
 * JSON value, whose quotes and backslashes stay as they are. */
static void put_json_text(const unsigned char *text, size_t length, int json_text) {
  size_t start = 0;
  for (size_t i = 0; i < length;) {
    unsigned char byte = text[i];
    if (byte >= 0x20 && byte < 0x7f && ((byte != '"' && byte != '\\') || json_text)) {
      i++;
      continue;
    }
    put((const char *)text + start, i - start);
    if (byte == '"') put("\\\"", 2), i++;
    else if (byte == '\\') put("\\\\", 2), i++;
    else if (byte == '\n') put("\\n", 2), i++;
    else if (byte == '\t') put("\\t", 2), i++;
    else if (byte == '\r') put("\\r", 2), i++;
    else if (byte < 0x80) put_escaped_unit(byte), i++;
    else {
      unsigned code = 0xfffd;
      size_t extra = byte >= 0xf0 ? 3 : byte >= 0xe0 ? 2 : byte >= 0xc0 ? 1 : 0;
      if (extra && i + extra < length) {
        code = byte & (0x3f >> extra);
        for (size_t k = 1; k <= extra; k++) code = (code << 6) | (text[i + k] & 0x3f);
      }
      i += extra + 1;
      if (code >= 0x10000) {
        code -= 0x10000;
        put_escaped_unit(0xd800 + (code >> 10));
        put_escaped_unit(0xdc00 + (code & 0x3ff));
      } else {
        put_escaped_unit(code);
      }
    }
    start = i;
  }
  put((const char *)text + start, length - start);
}

static char *pending;
static size_t pending_length, pending_size;
static char time_text[32];

static void flush_pending(void) {
  if (!pending_length) return;
  put("LOG {\"time\":", 12);
  put(time_text, strlen(time_text));
  put(",\"level\":20,\"message\":\"", 23);
  put_json_text((unsigned char *)pending, pending_length, 0);
  put("\"}\n", 3);
  pending_length = 0;
}

static void add_pending(const char *line, size_t length, int continuation) {
  size_t need = pending_length + length + 1;
  if (need > pending_size) {
    pending_size = need * 2;
    pending = realloc(pending, pending_size);
  }
  if (continuation) pending[pending_length++] = '\n';
  memcpy(pending + pending_length, line, length);
  pending_length += length;
}

static void on_line(const char *line, size_t length) {
  if (length && line[length - 1] == '\r') length--;
  if (length && (line[0] == ' ' || line[0] == '\t') && pending_length) return add_pending(line, length, 1);
  flush_pending();
  if (!length) return;
  if (line[0] == '{' && line[length - 1] == '}') {
    put("ITM ", 4);
    put_json_text((const unsigned char *)line, length, 1);
    put("\n", 1);
    return;
  }
  struct timeval now;
  gettimeofday(&now, NULL);
  snprintf(time_text, sizeof time_text, "%lld", (long long)now.tv_sec * 1000 + now.tv_usec / 1000);
  add_pending(line, length, 0);
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  fifo = open(getenv("SHUB_FIFO_PATH"), O_WRONLY);
  int pipes[2];
  if (fifo < 0 || pipe(pipes)) return 125;
  pid_t child = fork();
  if (child == 0) {
    dup2(pipes[1], 1);
    close(pipes[0]);
    execvp(argv[1], argv + 1);
    _exit(127);
  }
  close(pipes[1]);
  static char buffer[1 << 16];
  char *carry = NULL;
  size_t carry_length = 0;
  ssize_t n;
  while ((n = read(pipes[0], buffer, sizeof buffer)) > 0) {
    size_t start = 0;
    for (char *newline; (newline = memchr(buffer + start, '\n', (size_t)n - start)); start = (size_t)(newline - buffer) + 1) {
      size_t length = (size_t)(newline - buffer) - start;
      if (carry_length) {
        carry = realloc(carry, carry_length + length);
        memcpy(carry + carry_length, buffer + start, length);
        on_line(carry, carry_length + length);
        carry_length = 0;
      } else {
        on_line(buffer + start, length);
      }
    }
    if (start < (size_t)n) {
      carry = realloc(carry, carry_length + (size_t)n - start);
      memcpy(carry + carry_length, buffer + start, (size_t)n - start);
      carry_length += (size_t)n - start;
    }
  }
  if (carry_length) on_line(carry, carry_length);
  flush_pending();
  put("FIN {\"outcome\":\"finished\"}\n", 27);
  flush_out();
  int status;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
