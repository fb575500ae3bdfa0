package cn.bazhong.credit.gateway.mapping;

/** A mapping file that cannot be used, with the file, line and key at fault. */
public class MappingFileException extends RuntimeException {

    private final String file;
    private final int line;
    private final String key;

    public MappingFileException(String file, int line, String key, String problem) {
        super(file + ":" + line + ": " + (key == null || key.isEmpty() ? "" : key + ": ") + problem);
        this.file = file;
        this.line = line;
        this.key = key;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String key() {
        return key;
    }
}
