namespace CanarySim.Core.Notification;

/// <summary>A notification could not be delivered; the message says where and why.</summary>
public sealed class NotificationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NotificationException()
    {
    }

    /// <summary>Creates the exception with what went wrong.</summary>
    public NotificationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with what went wrong and its cause.</summary>
    public NotificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
