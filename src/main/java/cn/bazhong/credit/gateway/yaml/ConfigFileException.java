package cn.bazhong.credit.gateway.yaml;

/** A configuration file that cannot be used, with the file, line and key at fault. */
public class ConfigFileException extends RuntimeException {

    private final String file;
    private final int line;
    private final String key;
    private final String problem;

    public ConfigFileException(String file, int line, String key, String problem) {
        super(file + ":" + line + ": " + (key == null || key.isEmpty() ? "" : key + ": ") + problem);
        this.file = file;
        this.line = line;
        this.key = key;
        this.problem = problem;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
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
