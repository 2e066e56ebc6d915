namespace CanarySim.Core.Detection;

/// <summary>A window the in-memory store feeds sample by sample, in time order.</summary>
internal interface IWindowAccumulator
{
    /// <summary>Adds the next sample.</summary>
    void Add(Sample sample);

    /// <summary>Empties the window.</summary>
    void Clear();
}
