namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>What the server answers to the PRELOGIN ENCRYPTION option.</summary>
public enum TdsEncryptionMode
{
    /// <summary>ENCRYPT_NOT_SUP: everything in plaintext; a client with Encrypt=Mandatory refuses.</summary>
    NotSupported,

    /// <summary>ENCRYPT_OFF: TLS protects LOGIN7 only, then plaintext (full TLS if the client asks for it).</summary>
    LoginOnly,

    /// <summary>ENCRYPT_ON: full TLS after PRELOGIN.</summary>
    Required,
}
