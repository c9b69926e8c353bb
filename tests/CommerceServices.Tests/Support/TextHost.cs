using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;

namespace CommerceServices.Tests.Support
{
    /// <summary>
    /// The engine tests' host: non-interactive unless a test answers its prompts, it writes what a
    /// console would show (formatted tables, warnings, verbose lines, errors) to a
    /// <see cref="TextWriter"/> as plain text.
    /// </summary>
    public sealed class TextHost : PSHost
    {
        private readonly TextHostUserInterface ui;
        private readonly Guid instanceId = Guid.NewGuid();

        /// <param name="output">Where everything the host shows goes.</param>
        /// <param name="width">The console width tables are laid out for.</param>
        public TextHost(TextWriter output, int width = 120)
        {
            ui = new TextHostUserInterface(output, width);
        }

        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

        public override CultureInfo CurrentUICulture => CultureInfo.GetCultureInfo("en-US");

        public override Guid InstanceId => instanceId;

        public override string Name => "CommerceServices.Tests";

        public override PSHostUserInterface UI => ui;

        /// <summary>The user interface, to answer prompts in tests.</summary>
        public TextHostUserInterface TextUI => ui;

        public override Version Version => new Version(1, 0);

        public override void EnterNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported by the test host.");

        public override void ExitNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported by the test host.");

        public override void NotifyBeginApplication()
        {
        }

        public override void NotifyEndApplication()
        {
        }

        public override void SetShouldExit(int exitCode)
        {
        }
    }

    /// <summary>Writes every host stream to one text writer, in the order it arrives.</summary>
    public sealed class TextHostUserInterface : PSHostUserInterface
    {
        private static readonly Regex Ansi = new Regex("\u001b\\[[0-9;?]*[A-Za-z]", RegexOptions.Compiled);
        private readonly TextWriter output;
        private readonly TextRawUserInterface raw;

        public TextHostUserInterface(TextWriter output, int width)
        {
            this.output = output;
            raw = new TextRawUserInterface(width);
        }

        public override PSHostRawUserInterface RawUI => raw;

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new PSInvalidOperationException("The test host is not interactive: pass every mandatory parameter.");

        /// <summary>Answers confirmation prompts (for tests); without it, the host is not interactive.</summary>
        public Func<string, Collection<ChoiceDescription>, int>? ChoiceAnswer { get; set; }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
            ChoiceAnswer?.Invoke(message, choices)
            ?? throw new PSInvalidOperationException("The test host is not interactive: use -Confirm:$false or -WhatIf.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new PSInvalidOperationException("The test host is not interactive.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new PSInvalidOperationException("The test host is not interactive.");

        public override string ReadLine() => throw new PSInvalidOperationException("The test host is not interactive.");

        public override SecureString ReadLineAsSecureString() => throw new PSInvalidOperationException("The test host is not interactive.");

        public override void Write(string value) => output.Write(Render(value));

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => output.Write(Render(value));

        public override void WriteLine(string value) => output.WriteLine(Render(value));

        public override void WriteErrorLine(string value) => output.WriteLine(Render(value));

        public override void WriteDebugLine(string message) => output.WriteLine("DEBUG: " + Render(message));

        public override void WriteVerboseLine(string message) => output.WriteLine("VERBOSE: " + Render(message));

        public override void WriteWarningLine(string message) => output.WriteLine("WARNING: " + Render(message));

        private static string Render(string value) => value != null ? Ansi.Replace(value, string.Empty) : string.Empty;

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }
    }

    /// <summary>A fixed-size virtual console, so tables are laid out as on a console of that width.</summary>
    public sealed class TextRawUserInterface : PSHostRawUserInterface
    {
        private readonly int width;

        public TextRawUserInterface(int width)
        {
            this.width = width;
        }

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override Size BufferSize
        {
            get => new Size(width, 9999);
            set { }
        }

        public override Coordinates CursorPosition { get; set; }

        public override int CursorSize { get; set; }

        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        public override bool KeyAvailable => false;

        public override Size MaxPhysicalWindowSize => new Size(width, 50);

        public override Size MaxWindowSize => new Size(width, 50);

        public override Coordinates WindowPosition { get; set; }

        public override Size WindowSize
        {
            get => new Size(width, 50);
            set { }
        }

        public override string WindowTitle { get; set; } = string.Empty;

        public override void FlushInputBuffer()
        {
        }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new PSInvalidOperationException("The test host is not interactive.");

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
    }
}
