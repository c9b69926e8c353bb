using System.Management.Automation.Runspaces;

namespace CommerceServices.Tests.Support
{
    /// <summary>
    /// Runs scripts in a fresh runspace of the real PowerShell engine that has imported the built
    /// CommerceServices.psd1, and returns every stream in order. A new runspace per script, so
    /// no test sees another's connections or variables.
    /// </summary>
    public static class PowerShellRunner
    {
        private static readonly Lazy<InitialSessionState> BaseState = new Lazy<InitialSessionState>(() =>
        {
            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { ModuleLocation.ManifestPath, ModuleLocation.EmulatorManifestPath });
            return state;
        });

        /// <summary>The built module manifest the runspaces import.</summary>
        public static string ManifestPath => ModuleLocation.ManifestPath;

        /// <summary>Runs <paramref name="script"/> and returns everything it produced.</summary>
        /// <param name="script">PowerShell script text; only core cmdlets and .NET exist in the engine.</param>
        /// <param name="variables">Variables defined before the script runs (e.g. SecureStrings, paths).</param>
        /// <param name="location">The current location of the runspace (relative paths resolve against it).</param>
        /// <param name="formatOutput">Pipe the output to Out-Default and capture what a console would show in <see cref="ScriptResult.HostText"/>.</param>
        /// <param name="answer">Answers confirmation prompts (message and choices to the chosen index); without it, a prompt is an error.</param>
        /// <param name="width">The width of the console the host pretends to be (tables are laid out in one column less).</param>
        public static ScriptResult Run(string script, Dictionary<string, object?>? variables = null, string? location = null, bool formatOutput = false, Func<string, System.Collections.ObjectModel.Collection<System.Management.Automation.Host.ChoiceDescription>, int>? answer = null, int width = 120)
        {
            InitialSessionState state = BaseState.Value.Clone();
            if (variables != null)
            {
                foreach (KeyValuePair<string, object?> variable in variables)
                {
                    state.Variables.Add(new SessionStateVariableEntry(variable.Key, variable.Value, string.Empty));
                }
            }

            var hostText = new StringWriter();
            var host = new TextHost(hostText, width: width);
            host.TextUI.ChoiceAnswer = answer;
            using Runspace runspace = RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();
            if (location != null)
            {
                runspace.SessionStateProxy.Path.SetLocation(location);
            }

            using PowerShell ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(script);
            if (formatOutput)
            {
                ps.AddCommand("Out-Default");
            }

            var records = new List<StreamRecord>();
            var gate = new object();
            void Capture<T>(PSDataCollection<T> collection, PSStream stream)
            {
                collection.DataAdded += (sender, e) =>
                {
                    lock (gate)
                    {
                        records.Add(new StreamRecord(stream, ((PSDataCollection<T>)sender!)[e.Index]!));
                    }
                };
            }

            var output = new PSDataCollection<PSObject>();
            Capture(output, PSStream.Output);
            Capture(ps.Streams.Error, PSStream.Error);
            Capture(ps.Streams.Warning, PSStream.Warning);
            Capture(ps.Streams.Verbose, PSStream.Verbose);
            Capture(ps.Streams.Debug, PSStream.Debug);
            Capture(ps.Streams.Information, PSStream.Information);
            Capture(ps.Streams.Progress, PSStream.Progress);

            RuntimeException? terminating = null;
            try
            {
                ps.Invoke<PSObject>(null, output);
            }
            catch (RuntimeException ex)
            {
                terminating = ex;
                lock (gate)
                {
                    records.Add(new StreamRecord(PSStream.Error, ex.ErrorRecord));
                }
            }

            lock (gate)
            {
                return new ScriptResult(records.ToArray(), terminating, hostText.ToString());
            }
        }
    }
}
