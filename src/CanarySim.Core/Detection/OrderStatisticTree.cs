namespace CanarySim.Core.Detection;

/// <summary>
/// A multiset of doubles with O(log n) add, remove and k-th smallest (an array-backed treap with
/// subtree sizes and a count per distinct value). Exact: it stores the values themselves, so
/// nearest-rank percentiles over it equal the sort-based ones. Priorities come from a fixed-seed
/// xorshift so the shape is deterministic. Not thread-safe.
/// </summary>
internal sealed class OrderStatisticTree : ILatencyIndex
{
    private double[] _key = new double[16];
    private int[] _count = new int[16];
    private int[] _size = new int[16];
    private int[] _left = new int[16];
    private int[] _right = new int[16];
    private uint[] _priority = new uint[16];
    private readonly Stack<int> _free = new();
    private int _next = 1; // node 0 is the null node (size 0)
    private int _root;
    private uint _rng = 2463534242;

    /// <summary>Number of values held (with multiplicity).</summary>
    public int Count => _size[_root];

    /// <summary>Adds one occurrence of <paramref name="value"/> (must not be NaN).</summary>
    public void Add(double value)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "NaN cannot be ordered.");
        }
        _root = Insert(_root, value);
    }

    /// <summary>Removes one occurrence of <paramref name="value"/>; false when it is not present.</summary>
    public bool Remove(double value)
    {
        var found = false;
        _root = Delete(_root, value, ref found);
        return found;
    }

    /// <summary>The <paramref name="rank"/>-th smallest value, 1-based.</summary>
    public double Select(int rank)
    {
        if (rank < 1 || rank > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be in 1..{Count}.");
        }
        var t = _root;
        while (true)
        {
            var leftSize = _size[_left[t]];
            if (rank <= leftSize)
            {
                t = _left[t];
            }
            else if (rank <= leftSize + _count[t])
            {
                return _key[t];
            }
            else
            {
                rank -= leftSize + _count[t];
                t = _right[t];
            }
        }
    }

    /// <summary>Removes everything.</summary>
    public void Clear()
    {
        _root = 0;
        _next = 1;
        _free.Clear();
    }

    private int Insert(int t, double value)
    {
        if (t == 0)
        {
            return NewNode(value);
        }
        if (value == _key[t])
        {
            _count[t]++;
            _size[t]++;
            return t;
        }
        if (value < _key[t])
        {
            var child = Insert(_left[t], value); // NewNode may resize the arrays: read the child first, then store
            _left[t] = child;
            if (_priority[_left[t]] > _priority[t])
            {
                t = RotateRight(t);
            }
        }
        else
        {
            var child = Insert(_right[t], value);
            _right[t] = child;
            if (_priority[_right[t]] > _priority[t])
            {
                t = RotateLeft(t);
            }
        }
        Update(t);
        return t;
    }

    private int Delete(int t, double value, ref bool found)
    {
        if (t == 0)
        {
            return 0;
        }
        if (value == _key[t])
        {
            found = true;
            if (_count[t] > 1)
            {
                _count[t]--;
                _size[t]--;
                return t;
            }
            var merged = Merge(_left[t], _right[t]);
            _free.Push(t);
            return merged;
        }
        if (value < _key[t])
        {
            _left[t] = Delete(_left[t], value, ref found);
        }
        else
        {
            _right[t] = Delete(_right[t], value, ref found);
        }
        Update(t);
        return t;
    }

    private int Merge(int a, int b)
    {
        if (a == 0)
        {
            return b;
        }
        if (b == 0)
        {
            return a;
        }
        if (_priority[a] > _priority[b])
        {
            _right[a] = Merge(_right[a], b);
            Update(a);
            return a;
        }
        _left[b] = Merge(a, _left[b]);
        Update(b);
        return b;
    }

    private int RotateRight(int t)
    {
        var l = _left[t];
        _left[t] = _right[l];
        _right[l] = t;
        Update(t);
        Update(l);
        return l;
    }

    private int RotateLeft(int t)
    {
        var r = _right[t];
        _right[t] = _left[r];
        _left[r] = t;
        Update(t);
        Update(r);
        return r;
    }

    private void Update(int t) => _size[t] = _size[_left[t]] + _size[_right[t]] + _count[t];

    private int NewNode(double value)
    {
        int n;
        if (_free.Count > 0)
        {
            n = _free.Pop();
        }
        else
        {
            if (_next == _key.Length)
            {
                var size = _key.Length * 2;
                Array.Resize(ref _key, size);
                Array.Resize(ref _count, size);
                Array.Resize(ref _size, size);
                Array.Resize(ref _left, size);
                Array.Resize(ref _right, size);
                Array.Resize(ref _priority, size);
            }
            n = _next++;
        }
        _key[n] = value;
        _count[n] = 1;
        _size[n] = 1;
        _left[n] = 0;
        _right[n] = 0;
        _rng ^= _rng << 13;
        _rng ^= _rng >> 17;
        _rng ^= _rng << 5;
        _priority[n] = _rng;
        return n;
    }
}
