namespace CanarySim.Service.Guard;

/// <summary>A route decision's audit event could not be committed, so the decision is not acknowledged.</summary>
public sealed class AuditWriteException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AuditWriteException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public AuditWriteException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public AuditWriteException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
