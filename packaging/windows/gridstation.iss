; The GridStation installer (Inno Setup 6): per machine into Program Files, Start-menu shortcuts
; for the client, the wall and the command line, an uninstaller, and a fixed AppId so that a new
; version upgrades the old one in place. Build the bundle first, then:
;     pyinstaller --noconfirm gridstation.spec
;     iscc packaging\windows\gridstation.iss            -> dist\GridStation-<version>-setup.exe
; The version is the one in pyproject.toml: gridstation.spec writes it into GridStation.exe's
; version resource, and it is read back from there (or given with iscc /DAppVersion=...).
; Deployment without questions, pointing the workstation at the center's database:
;     GridStation-<version>-setup.exe /VERYSILENT /DB=postgresql://gridstation@dbserver:5432/gridstation
; (no password in /DB: it would be readable by every user; see the README's "Windows" section).
; Program Files, not the user's folder: QtWebEngine has trouble with non-ASCII user paths.

#define AppName "GridStation"
#define Bundle "..\..\dist\GridStation"
#ifndef AppVersion
  #define AppVersion GetVersionNumbersString(AddBackslash(SourcePath) + Bundle + "\GridStation.exe")
#endif

[Setup]
; never change the AppId: it is how a new version finds and replaces the installed one
AppId={{8736C970-4653-40F4-9173-EFBF49324B9F}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=GridStation
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\GridStation
DefaultGroupName=GridStation
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=GridStation-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\gridstation.ico
UninstallDisplayIcon={app}\GridStation.exe
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
ChangesEnvironment=yes

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; an upgrade replaces the libraries: nothing of the old version's _internal folder lingers
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\GridStation 指挥中心客户端"; Filename: "{app}\GridStation.exe"; WorkingDir: "{app}"; Comment: "GridStation client"
Name: "{group}\GridStation 指挥大屏 (Wall)"; Filename: "{app}\GridStation.exe"; Parameters: "wall"; WorkingDir: "{app}"; Comment: "The wall display, full screen (Alt+F4 closes it)"
Name: "{group}\GridStation 命令行 (gridstation-cli)"; Filename: "{cmd}"; Parameters: "/k cd /d ""{app}"" && gridstation-cli.exe --help"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,GridStation}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\GridStation"; Filename: "{app}\GridStation.exe"; Tasks: desktopicon

[Registry]
; /DB=URL on the command line: the database every user of this workstation opens by default
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: string; ValueName: "GRIDSTATION_DB"; ValueData: "{param:DB}"; Check: DatabaseGiven; Flags: uninsdeletevalue

[Run]
Filename: "{app}\GridStation.exe"; Description: "{cm:LaunchProgram,GridStation}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Code]
function DatabaseGiven: Boolean;
begin
  Result := ExpandConstant('{param:DB|}') <> '';
end;
