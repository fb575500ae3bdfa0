package cn.bazhong.credit.gateway.transport;

/**
 * An SFTP server files are put on: the province's ({@code gateway.upstream.sftp}, batch files
 * {@code <batchId>.json} written under a temporary name and renamed, then an empty {@code <batchId>.json.ok}
 * marker) or a department's drop folder (the fan-out's SFTP channel).
 *
 * @param host           the SFTP server
 * @param port           its port; 22 when left out
 * @param username       the gateway's account there
 * @param password       its password (from a secret); leave empty when a private key is used
 * @param privateKeyFile an unencrypted OpenSSH/PEM private key file to log in with; this, the password, or both
 * @param knownHostsFile known_hosts file holding the server's host key; required, the key is checked strictly
 * @param directory      the existing remote folder the files go to; the login folder when left out
 */
public record SftpSettings(String host, int port, String username, String password, String privateKeyFile,
                           String knownHostsFile, String directory) {

    public SftpSettings {
        port = port == 0 ? 22 : port;
        password = password == null || password.isEmpty() ? null : password; // kept as written, spaces included
        privateKeyFile = blankToNull(privateKeyFile);
        knownHostsFile = blankToNull(knownHostsFile);
        directory = directory == null || directory.isBlank() ? "." : directory.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
