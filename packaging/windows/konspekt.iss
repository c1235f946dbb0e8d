; Inno Setup 6 script (UTF-8 with a BOM: Inno reads the Russian strings right): Konspekt's per-machine installer for Windows.
; Build (after PyInstaller made dist\konspekt\):  iscc /DAppVersion=0.1.0 packaging\windows\konspekt.iss
; Silent install for IT (SCCM, Intune, GPO startup script):
;   konspekt-setup-0.1.0.exe /VERYSILENT /ALLUSERS /SUPPRESSMSGBOXES /NORESTART
; Silent uninstall:  "C:\Program Files\Konspekt\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES
; What stays on uninstall: each user's data in %LOCALAPPDATA%\Konspekt (encrypted documents,
; index, chats, keys) and IT's %ProgramData%\Konspekt\policy.toml. Neither is ever deleted.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define SrcRoot AddBackslash(SourcePath) + "..\.."

[Setup]
; A fixed AppId: upgrades replace the same installation instead of adding a second one.
AppId={{6F1D2B7E-4C3A-4E8F-9B21-5A7C0D4E9F13}
AppName=Konspekt
AppVersion={#AppVersion}
AppVerName=Konspekt {#AppVersion}
AppPublisher=Konspekt
DefaultDirName={autopf}\Konspekt
DefaultGroupName=Konspekt
DisableProgramGroupPage=yes
; Per-machine only: Program Files, HKLM, the common Start menu (/ALLUSERS is that mode).
PrivilegesRequired=admin
; "x64" rather than 6.3's "x64compatible": every Inno Setup 6 on a runner accepts it.
ArchitecturesAllowed=x64
ArchitecturesInstallIn64BitMode=x64
MinVersion=10.0
OutputDir={#SrcRoot}\dist
OutputBaseFilename=konspekt-setup-{#AppVersion}
#if FileExists(SrcRoot + "\dist\konspekt-setup.ico")
; Made from packaging\icons\konspekt-256.png by the workflow (Pillow).
SetupIconFile={#SrcRoot}\dist\konspekt-setup.ico
#endif
UninstallDisplayIcon={app}\konspekt-desktop.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Closing a running Konspekt before files are replaced (Restart Manager).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "russian"; MessagesFile: "compiler:Languages\Russian.isl"

[CustomMessages]
english.PolicyTemplates=Install the Group Policy templates (ADMX/ADML) into %windir%\PolicyDefinitions
russian.PolicyTemplates=Установить шаблоны групповой политики (ADMX/ADML) в %windir%\PolicyDefinitions
english.LaunchApp=Start Konspekt
russian.LaunchApp=Запустить Конспект

[Tasks]
; Off by default: IT usually puts templates in the domain's central store instead; the same
; files are always under {app}\policy for that.
Name: "admx"; Description: "{cm:PolicyTemplates}"; Flags: unchecked

[Dirs]
; IT's policy file goes here (policy.toml); the folder is created, never a policy.
; uninsneveruninstall: the folder and whatever IT put in it survive an uninstall.
Name: "{commonappdata}\Konspekt"; Flags: uninsneveruninstall

[Files]
Source: "{#SrcRoot}\dist\konspekt\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The Group Policy templates written for IT (packaging\windows\policy): always beside the app,
; optionally into the machine's PolicyDefinitions. skipifsourcedoesntexist: built without them,
; the installer still works.
Source: "{#SrcRoot}\packaging\windows\policy\*.admx"; DestDir: "{app}\policy"; Flags: ignoreversion skipifsourcedoesntexist
Source: "{#SrcRoot}\packaging\windows\policy\en-US\*.adml"; DestDir: "{app}\policy\en-US"; Flags: ignoreversion skipifsourcedoesntexist
Source: "{#SrcRoot}\packaging\windows\policy\ru-RU\*.adml"; DestDir: "{app}\policy\ru-RU"; Flags: ignoreversion skipifsourcedoesntexist
Source: "{#SrcRoot}\packaging\windows\policy\*.admx"; DestDir: "{win}\PolicyDefinitions"; Tasks: admx; Flags: ignoreversion skipifsourcedoesntexist uninsneveruninstall
Source: "{#SrcRoot}\packaging\windows\policy\en-US\*.adml"; DestDir: "{win}\PolicyDefinitions\en-US"; Tasks: admx; Flags: ignoreversion skipifsourcedoesntexist uninsneveruninstall
Source: "{#SrcRoot}\packaging\windows\policy\ru-RU\*.adml"; DestDir: "{win}\PolicyDefinitions\ru-RU"; Tasks: admx; Flags: ignoreversion skipifsourcedoesntexist uninsneveruninstall

[Icons]
Name: "{autoprograms}\Konspekt"; Filename: "{app}\konspekt-desktop.exe"; WorkingDir: "{app}"; Languages: english
Name: "{autoprograms}\Конспект"; Filename: "{app}\konspekt-desktop.exe"; WorkingDir: "{app}"; Languages: russian

[Registry]
; `konspekt` in any new command prompt (per-machine PATH); removed on uninstall.
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\konspekt-desktop.exe"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the app itself may have written under {app} (Python caches); never user data.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Current: string;
begin
  if not RegQueryStringValue(HKLM, 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment',
    'Path', Current) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Current) + ';') = 0;
end;

procedure RemoveFromPath(Dir: string);
var
  Current, Upper, Needle: string;
  P: Integer;
begin
  if not RegQueryStringValue(HKLM, 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment',
    'Path', Current) then
    exit;
  Needle := ';' + Uppercase(Dir);
  Upper := Uppercase(Current);
  P := Pos(Needle, Upper);
  if P > 0 then
  begin
    Delete(Current, P, Length(Needle));
    RegWriteExpandStringValue(HKLM, 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment',
      'Path', Current);
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    RemoveFromPath(ExpandConstant('{app}'));
end;
