using System.Buffers.Binary;
using System.Text;

namespace CanarySim.Storage.Sqlite;

/// <summary>
/// Checks a store file's raw SQLite header before SQLite opens it, so a file that is not ours is
/// refused without SQLite ever touching it (opening can roll back a hot journal or switch modes).
/// </summary>
internal static class StoreFile
{
    /// <summary>PRAGMA application_id of a CanarySim store: ASCII "CnSm".</summary>
    internal const int ApplicationId = 0x436E536D;

    /// <summary>The schema version this build writes and reads (PRAGMA user_version and canarysim_meta).</summary>
    internal const int SchemaVersion = 3;

    private const int HeaderSize = 100;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("SQLite format 3\0");

    /// <summary>True when the file does not exist or is empty (a new store is created there).</summary>
    internal static bool IsNew(string path)
    {
        if (Directory.Exists(path))
        {
            throw new CanarySimStoreException(path, "is a directory, expected a database file");
        }
        var info = new FileInfo(path);
        return !info.Exists || info.Length == 0;
    }

    /// <summary>Refuses a non-SQLite, foreign, newer-schema or truncated file; reads only the header.</summary>
    internal static void CheckHeader(string path)
    {
        var header = new byte[HeaderSize];
        long length;
        int read;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            length = stream.Length;
            read = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CanarySimStoreException(path, $"cannot be read ({ex.Message})", ex);
        }

        var magicLength = Math.Min(read, Magic.Length);
        if (!header.AsSpan(0, magicLength).SequenceEqual(Magic.AsSpan(0, magicLength)))
        {
            throw new CanarySimStoreException(path, "is not a SQLite database (it does not start with the header 'SQLite format 3'); refusing to open or overwrite it");
        }
        if (read < HeaderSize)
        {
            throw new CanarySimStoreException(path, $"is truncated: {length} bytes, shorter than the {HeaderSize}-byte SQLite header; refusing to open or overwrite it");
        }

        var pageSizeField = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16));
        var pageSize = pageSizeField == 1 ? 65536 : pageSizeField;
        if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0)
        {
            throw new CanarySimStoreException(path, $"is damaged: invalid page size {pageSizeField} in the SQLite header");
        }

        var applicationId = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(68));
        if (applicationId != ApplicationId)
        {
            throw new CanarySimStoreException(path,
                $"is a SQLite database of another application (application_id 0x{applicationId:X8}, a CanarySim store has 0x{ApplicationId:X8}); refusing to modify it");
        }

        var userVersion = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(60));
        if (userVersion > SchemaVersion)
        {
            throw new CanarySimStoreException(path,
                $"was written by a newer CanarySim (schema version {userVersion}; this build reads version {SchemaVersion}); refusing to modify it");
        }
        if (userVersion < 1)
        {
            throw new CanarySimStoreException(path, $"is damaged: CanarySim store with schema version {userVersion} (expected {SchemaVersion})");
        }

        // The in-header page count is valid when "version-valid-for" equals the change counter.
        // With a non-empty WAL the main file may legitimately lag behind it, so only check without one.
        var changeCounter = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24));
        var pageCount = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28));
        var validFor = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(92));
        var wal = new FileInfo(path + "-wal");
        var walHasFrames = wal.Exists && wal.Length > 0;
        var expectedLength = (long)pageCount * pageSize;
        if (pageCount > 0 && validFor == changeCounter && !walHasFrames && length < expectedLength)
        {
            throw new CanarySimStoreException(path,
                $"is truncated: the SQLite header declares {pageCount} pages of {pageSize} bytes ({expectedLength} bytes) but the file has {length} bytes; refusing to open or overwrite it");
        }
    }
}
