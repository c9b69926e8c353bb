using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace CommerceServices.Php
{
    /// <summary>
    /// A PHP array as Magento's configuration files hold it: an ordered map whose keys are
    /// strings or integers (<see cref="long"/>), with PHP's key rules (a string like "8" is the
    /// integer 8). Values are <see cref="string"/>, <see cref="long"/>, <see cref="double"/>,
    /// <see cref="bool"/>, null, or nested <see cref="PhpArray"/>s.
    /// </summary>
    public sealed class PhpArray : IEnumerable<KeyValuePair<object, object?>>
    {
        private readonly List<object> keys = new List<object>();
        private readonly Dictionary<object, object?> values = new Dictionary<object, object?>();
        // PHP's nNextFreeElement: long.MinValue until an integer key is set (then an append takes 0).
        private long nextIndex = long.MinValue;

        /// <summary>The number of elements.</summary>
        public int Count => keys.Count;

        /// <summary>The keys in order.</summary>
        public IReadOnlyList<object> Keys => keys;

        /// <summary>True when the keys are exactly 0..Count-1 in order (a PHP "list").</summary>
        public bool IsList
        {
            get
            {
                for (int i = 0; i < keys.Count; i++)
                {
                    if (!(keys[i] is long index) || index != i)
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        /// <summary>The value of a key, or null when absent (see <see cref="ContainsKey"/>).</summary>
        public object? this[object key]
        {
            get => values.TryGetValue(NormalizeKey(key), out object? value) ? value : null;
            set => Set(key, value);
        }

        /// <summary>Whether the key exists (a key may exist with the value null).</summary>
        public bool ContainsKey(object key) => values.ContainsKey(NormalizeKey(key));

        /// <summary>Sets a key as PHP does: an existing key keeps its place, a new one goes last.</summary>
        public void Set(object key, object? value)
        {
            object normalized = NormalizeKey(key);
            int count = values.Count;
            values[normalized] = value;
            if (values.Count != count)
            {
                // A new key (one lookup for both: the count grows only when the key was not there).
                keys.Add(normalized);
            }

            if (normalized is long index && index >= nextIndex)
            {
                // As PHP 8.2 here does ([-5 => 'a', 'b'] gives -4): the next key follows the largest
                // integer key, negative ones included, and stays at long.MaxValue once that is used.
                nextIndex = index == long.MaxValue ? index : index + 1;
            }
        }

        /// <summary>Appends with the next integer key, as <c>$array[] = value</c>.</summary>
        /// <exception cref="InvalidOperationException">The next key (long.MaxValue) is already used, PHP's "Cannot add element to the array as the next element is already occupied".</exception>
        public void Add(object? value)
        {
            if (!TryAdd(value))
            {
                throw new InvalidOperationException("Cannot add element to the array as the next element is already occupied.");
            }
        }

        /// <summary>Appends with the next integer key, or returns false (changing nothing) when that key is already used.</summary>
        public bool TryAdd(object? value)
        {
            long next = nextIndex == long.MinValue ? 0 : nextIndex;
            if (values.ContainsKey(next))
            {
                return false;
            }

            Set(next, value);
            return true;
        }

        /// <summary>Removes a key.</summary>
        public bool Remove(object key)
        {
            object normalized = NormalizeKey(key);
            if (!values.Remove(normalized))
            {
                return false;
            }

            keys.Remove(normalized);
            return true;
        }

        /// <summary>
        /// The value at a slash-separated path such as <c>db/connection/default/host</c>, or null
        /// when any part is missing. <paramref name="found"/> tells a missing path from a null value.
        /// </summary>
        public object? GetPath(string path, out bool found)
        {
            object? current = this;
            found = false;
            foreach (string part in path.Split('/'))
            {
                if (!(current is PhpArray array) || !array.ContainsKey(part))
                {
                    return null;
                }

                current = array[part];
            }

            found = true;
            return current;
        }

        /// <summary>The value at a path, or null.</summary>
        public object? GetPath(string path) => GetPath(path, out _);

        /// <inheritdoc />
        public IEnumerator<KeyValuePair<object, object?>> GetEnumerator() =>
            keys.Select(k => new KeyValuePair<object, object?>(k, values[k])).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>A copy of the array and of every array in it, as PHP copies arrays by value.</summary>
        public PhpArray DeepCopy()
        {
            var copy = new PhpArray();
            foreach (object key in keys)
            {
                object? value = values[key];
                copy.Set(key, value is PhpArray nested ? nested.DeepCopy() : value);
            }

            return copy;
        }

        /// <summary>
        /// PHP's array_replace_recursive(<paramref name="baseArray"/>, <paramref name="overlay"/>) as a new array:
        /// values of the overlay win, arrays in both merge key by key. Neither argument is changed.
        /// </summary>
        public static PhpArray ReplaceRecursive(PhpArray baseArray, PhpArray overlay)
        {
            PhpArray merged = baseArray.DeepCopy();
            ReplaceInto(merged, overlay);
            return merged;
        }

        private static void ReplaceInto(PhpArray target, PhpArray overlay)
        {
            foreach (var pair in overlay)
            {
                if (pair.Value is PhpArray overlayArray && target[pair.Key] is PhpArray targetArray)
                {
                    ReplaceInto(targetArray, overlayArray);
                }
                else
                {
                    target.Set(pair.Key, pair.Value is PhpArray array ? array.DeepCopy() : pair.Value);
                }
            }
        }

        /// <summary>PHP's array key rules: canonical decimal integer strings, bools, floats and null become integer or "" keys.</summary>
        public static object NormalizeKey(object? key)
        {
            switch (key)
            {
                case null:
                    return string.Empty;
                case long l:
                    return l;
                case int i:
                    return (long)i;
                case bool b:
                    return b ? 1L : 0L;
                case double d:
                    return FloatKey(d);
                case string s:
                    return IsCanonicalInteger(s, out long value) ? value : (object)s;
                default:
                    throw new ArgumentException("A PHP array key must be a string or an integer, not " + key.GetType().Name + ".", nameof(key));
            }
        }

        /// <summary>
        /// PHP's zend_dval_to_lval for a float key: NaN and infinities are 0, a float in range is truncated, and
        /// one out of range wraps modulo 2^64 (1e20 is 7766279631452241920, as PHP 8.2 reads it).
        /// </summary>
        private static long FloatKey(double d)
        {
            if (double.IsNaN(d) || double.IsInfinity(d))
            {
                return 0;
            }

            const double TwoPow63 = 9223372036854775808.0;
            if (d >= -TwoPow63 && d < TwoPow63)
            {
                return (long)Math.Truncate(d);
            }

            const double TwoPow64 = 18446744073709551616.0;
            double modulo = d % TwoPow64;
            if (modulo < 0)
            {
                modulo += TwoPow64;
            }

            // modulo is an integer in [0, 2^64): its low 64 bits, read as a signed integer.
            return modulo >= TwoPow63 ? (long)(modulo - TwoPow64) : (long)modulo;
        }

        private static bool IsCanonicalInteger(string text, out long value)
        {
            value = 0;
            if (text.Length == 0 || text.Length > 20)
            {
                return false;
            }

            int start = text[0] == '-' ? 1 : 0;
            if (start == text.Length || (text[start] == '0' && (text.Length > start + 1 || start == 1)))
            {
                return false;
            }

            for (int i = start; i < text.Length; i++)
            {
                if (text[i] < '0' || text[i] > '9')
                {
                    return false;
                }
            }

            return long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value);
        }
    }
}
