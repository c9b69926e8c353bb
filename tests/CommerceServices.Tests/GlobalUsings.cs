// What every engine test file uses: the PowerShell engine, the shared test setting (tests/Shared) and
// this project's support (Support/), and xunit.
global using System;
global using System.Collections.Generic;
global using System.IO;
global using System.Linq;
global using System.Management.Automation;
global using CommerceServices.Testing;
global using CommerceServices.Tests.Support;
global using Xunit;
global using static CommerceServices.Tests.Support.ErrorRecordIds;
