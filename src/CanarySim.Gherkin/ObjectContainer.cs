using System.Reflection;

namespace CanarySim.Gherkin;

/// <summary>
/// A tiny dependency container (shaped like Reqnroll's <c>IObjectContainer</c>): every type is a
/// singleton within its container, built through its public constructor with the most parameters,
/// whose parameters are resolved the same way, recursively. A scenario container has the test-run
/// container as parent: types registered there are shared by every scenario.
/// </summary>
public sealed class ObjectContainer : IAsyncDisposable
{
    private readonly ObjectContainer? parent;
    private readonly Dictionary<Type, object> instances = [];
    private readonly Dictionary<Type, Func<ObjectContainer, object>> factories = [];
    private readonly List<object> created = [];
    private readonly HashSet<Type> resolving = [];
    private readonly Lock gate = new();

    /// <summary>Creates a container; types not registered in it but registered in <paramref name="parent"/> come from the parent.</summary>
    public ObjectContainer(ObjectContainer? parent = null)
    {
        this.parent = parent;
        instances[typeof(ObjectContainer)] = this;
    }

    /// <summary>Registers an existing instance as <typeparamref name="T"/> (not disposed by the container).</summary>
    public void RegisterInstanceAs<T>(T instance)
        where T : notnull
    {
        lock (gate)
        {
            instances[typeof(T)] = instance;
        }
    }

    /// <summary>Registers <typeparamref name="TImplementation"/> (built on first use, disposed with the container) as <typeparamref name="TService"/>.</summary>
    public void RegisterTypeAs<TImplementation, TService>()
        where TImplementation : TService
    {
        lock (gate)
        {
            factories[typeof(TService)] = c => c.Resolve(typeof(TImplementation));
        }
    }

    /// <summary>Registers a factory for <typeparamref name="T"/> (called once, on first use; the result is disposed with the container).</summary>
    public void RegisterFactoryAs<T>(Func<ObjectContainer, T> factory)
        where T : notnull
    {
        lock (gate)
        {
            factories[typeof(T)] = c => factory(c);
        }
    }

    /// <summary>Returns the container's single <typeparamref name="T"/>, creating it if needed.</summary>
    public T Resolve<T>() => (T)Resolve(typeof(T));

    /// <summary>Returns the container's single instance of <paramref name="type"/>, creating it if needed.</summary>
    public object Resolve(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (gate)
        {
            if (instances.TryGetValue(type, out var existing))
            {
                return existing;
            }
            if (!factories.ContainsKey(type) && parent is not null && parent.Knows(type))
            {
                return parent.Resolve(type);
            }
            if (!resolving.Add(type))
            {
                throw new InvalidOperationException($"circular constructor dependency while creating {type.Name}: {string.Join(" -> ", resolving.Select(t => t.Name))} -> {type.Name}");
            }
            try
            {
                var instance = factories.TryGetValue(type, out var factory) ? factory(this) : Construct(type);
                instances[type] = instance;
                created.Add(instance);
                return instance;
            }
            finally
            {
                resolving.Remove(type);
            }
        }
    }

    /// <summary>Disposes what this container created, newest first.</summary>
    public async ValueTask DisposeAsync()
    {
        List<object> toDispose;
        lock (gate)
        {
            toDispose = [.. created.Distinct()];
            created.Clear();
        }
        toDispose.Reverse();
        foreach (var item in toDispose)
        {
            switch (item)
            {
                case IAsyncDisposable a: await a.DisposeAsync().ConfigureAwait(false); break;
                case IDisposable d: d.Dispose(); break;
            }
        }
    }

    private bool Knows(Type type)
    {
        lock (gate)
        {
            return instances.ContainsKey(type) || factories.ContainsKey(type) || (parent?.Knows(type) ?? false);
        }
    }

    private object Construct(Type type)
    {
        if (type.IsInterface || type.IsAbstract || type.IsPrimitive || type == typeof(string))
        {
            throw new InvalidOperationException($"cannot create {type.Name}: register an implementation (ObjectContainer.RegisterTypeAs / RegisterInstanceAs) for it");
        }
        var ctor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"cannot create {type.Name}: it has no public constructor");
        var args = ctor.GetParameters().Select(p => Resolve(p.ParameterType)).ToArray();
        try
        {
            return ctor.Invoke(args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new InvalidOperationException($"constructor of {type.Name} failed: {ex.InnerException.Message}", ex.InnerException);
        }
    }
}
