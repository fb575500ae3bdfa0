package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.yaml.ConfigFileException;

/** A mapping file that cannot be used, with the file, line and key at fault. */
public class MappingFileException extends ConfigFileException {

    public MappingFileException(String file, int line, String key, String problem) {
        super(file, line, key, problem);
    }

    MappingFileException(ConfigFileException cause) {
        super(cause.file(), cause.line(), cause.key(), cause.problem());
    }
}
