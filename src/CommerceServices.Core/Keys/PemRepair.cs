namespace CommerceServices.Keys
{
    /// <summary>
    /// A copy-and-paste accident that was repaired while reading a private key. Repairs never
    /// change the key itself, only the text around it.
    /// </summary>
    public enum PemRepair
    {
        /// <summary>A byte order mark (U+FEFF) was removed.</summary>
        ByteOrderMark,

        /// <summary>Windows (CRLF) or old Mac (CR) line endings were turned into LF.</summary>
        LineEndings,

        /// <summary>Literal <c>\n</c> sequences (from JSON or an environment variable) were turned into newlines.</summary>
        EscapedNewlines,

        /// <summary>The whole key was on one line.</summary>
        SingleLine,

        /// <summary>Spaces or tabs stood where the line breaks of the key body belong.</summary>
        SpacesForNewlines,

        /// <summary>Lines were indented.</summary>
        Indentation,

        /// <summary>Lines ended with spaces or tabs, or blank lines surrounded the key.</summary>
        TrailingWhitespace,

        /// <summary>The BEGIN/END lines had the wrong number of dashes (as in Adobe's own documentation).</summary>
        MarkerDashes,

        /// <summary>Text before or after the key (a label, quotes) was ignored.</summary>
        SurroundingText,

        /// <summary>The BEGIN/END lines had extra spaces or tabs: around the dashes, or more than one between the words.</summary>
        MarkerSpacing,

        /// <summary>RFC 1421 header lines (such as <c>Comment:</c>) at the top of an unencrypted key were ignored.</summary>
        HeaderLines,
    }
}
