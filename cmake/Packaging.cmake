# SPDX-License-Identifier: MIT
# Install rules for the desktop integration and CPack settings for every platform's package:
#   Linux    DEB (cpack -G DEB) and a tarball; the AppImage is packaging/linux/appimage.sh
#   Windows  NSIS installer (Start menu, optional open at login, clean uninstall) and a portable ZIP
#   macOS    zaibridge.app (Info.plist, icon; LSUIElement: menu bar only) in a DragNDrop .dmg
# The version is project(VERSION) only: it reaches the binaries as ZB_VERSION (CompilePolicy) and
# every package and installer through CPACK_PACKAGE_VERSION below.
include(GNUInstallDirs)

set(ZB_PACKAGE_MAINTAINER "ZaiBridge developers <zaibridge@users.noreply.github.com>"
    CACHE STRING "Maintainer of the packages (Name <email>)")

# The release date in the metadata: SOURCE_DATE_EPOCH when set (reproducible builds), else the
# last commit's date, else today.
if(NOT DEFINED ENV{SOURCE_DATE_EPOCH})
    execute_process(COMMAND git -C "${PROJECT_SOURCE_DIR}" log -1 --format=%ct
        OUTPUT_VARIABLE _zb_epoch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _zb_git)
    if(_zb_git EQUAL 0 AND _zb_epoch MATCHES "^[0-9]+$")
        set(ENV{SOURCE_DATE_EPOCH} "${_zb_epoch}")
    endif()
endif()
string(TIMESTAMP ZB_RELEASE_DATE "%Y-%m-%d" UTC)
string(TIMESTAMP ZB_RELEASE_DATE_RFC2822 "%a, %d %b %Y %H:%M:%S +0000" UTC)

set(ZB_PACKAGING_DIR "${PROJECT_SOURCE_DIR}/packaging")
set(ZB_APPSTREAM_ID "io.github.zaibridge.ZaiBridge")

# ---- The tray app's platform resources and the Qt deployment (Windows, macOS) -----------------
if(TARGET zaibridge)
    if(WIN32)
        configure_file("${ZB_PACKAGING_DIR}/windows/zaibridge.rc.in"
            "${PROJECT_BINARY_DIR}/packaging/zaibridge.rc" @ONLY)
        target_sources(zaibridge PRIVATE "${PROJECT_BINARY_DIR}/packaging/zaibridge.rc")
        target_sources(zaibridge-server PRIVATE "${PROJECT_BINARY_DIR}/packaging/zaibridge.rc")
    elseif(APPLE)
        set_source_files_properties("${ZB_PACKAGING_DIR}/macos/zaibridge.icns"
            PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
        target_sources(zaibridge PRIVATE "${ZB_PACKAGING_DIR}/macos/zaibridge.icns")
        set_target_properties(zaibridge PROPERTIES
            OUTPUT_NAME "ZaiBridge"
            MACOSX_BUNDLE_INFO_PLIST "${ZB_PACKAGING_DIR}/macos/Info.plist.in"
            MACOSX_BUNDLE_BUNDLE_NAME "ZaiBridge"
            MACOSX_BUNDLE_GUI_IDENTIFIER "${ZB_APPSTREAM_ID}"
            MACOSX_BUNDLE_ICON_FILE "zaibridge.icns"
            MACOSX_BUNDLE_SHORT_VERSION_STRING "${PROJECT_VERSION}"
            MACOSX_BUNDLE_BUNDLE_VERSION "${PROJECT_VERSION}"
            MACOSX_BUNDLE_COPYRIGHT "MIT License, ZaiBridge developers")
    endif()
    if(WIN32 OR APPLE)
        # windeployqt / macdeployqt at install time (Qt 6.5+; the release workflow uses Qt 6.8).
        # windeployqt does not know QtKeychain: its DLL is installed next to the executables.
        # Qt's own translations are deployed too: the tray app shows Qt's strings in Chinese.
        qt_generate_deploy_app_script(TARGET zaibridge OUTPUT_SCRIPT _zb_deploy
            NO_UNSUPPORTED_PLATFORM_ERROR)
        install(SCRIPT "${_zb_deploy}")
        if(WIN32 AND TARGET qt6keychain)
            install(IMPORTED_RUNTIME_ARTIFACTS qt6keychain RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
        endif()
    endif()
endif()

# ---- CPack: what every generator shares --------------------------------------------------------
set(CPACK_PACKAGE_NAME "zaibridge")
set(CPACK_PACKAGE_VENDOR "ZaiBridge")
set(CPACK_PACKAGE_CONTACT "${ZB_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "ZaiBridge")
set(CPACK_PACKAGE_EXECUTABLES "zaibridge" "ZaiBridge")
set(CPACK_RESOURCE_FILE_LICENSE "${ZB_PACKAGING_DIR}/LICENSE.txt")
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/;/node_modules/")
# Directories 0755 and files 0644/0755 whatever the umask of the machine that packs.
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# ---- NSIS (the Windows installer). Set everywhere: harmless to other generators, and it lets
# scripts/package-check.sh compile the installer script with Debian's makensis as a syntax check.
set(CPACK_NSIS_PACKAGE_NAME "ZaiBridge")
set(CPACK_NSIS_DISPLAY_NAME "ZaiBridge ${PROJECT_VERSION}")
set(CPACK_NSIS_MUI_ICON "${ZB_PACKAGING_DIR}/windows/zaibridge.ico")
set(CPACK_NSIS_MUI_UNIICON "${ZB_PACKAGING_DIR}/windows/zaibridge.ico")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\zaibridge.exe")
set(CPACK_NSIS_URL_INFO_ABOUT "${PROJECT_HOMEPAGE_URL}")
set(CPACK_NSIS_HELP_LINK "${PROJECT_HOMEPAGE_URL}#readme")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_EXECUTABLES_DIRECTORY "bin")
set(CPACK_NSIS_MUI_FINISHPAGE_RUN "zaibridge.exe")
set(CPACK_NSIS_MANIFEST_DPI_AWARE ON)
# The Start-menu entry comes from CPACK_PACKAGE_EXECUTABLES; the open-at-login choice and the
# uninstaller's clean-up are NSIS snippets in packaging/windows/, read by CPackProjectConfig.cmake.
set(CPACK_ZB_PACKAGING_DIR "${ZB_PACKAGING_DIR}")
set(CPACK_PROJECT_CONFIG_FILE "${ZB_PACKAGING_DIR}/CPackProjectConfig.cmake")
set(CPACK_PACKAGE_INSTALL_REGISTRY_KEY "ZaiBridge")

if(UNIX AND NOT APPLE)
    # ---- Linux: desktop entry (src/app), metainfo, icons, systemd user unit, Debian docs --------
    if(ZB_BUILD_GUI)
        configure_file("${ZB_PACKAGING_DIR}/linux/${ZB_APPSTREAM_ID}.metainfo.xml.in"
            "${PROJECT_BINARY_DIR}/packaging/${ZB_APPSTREAM_ID}.metainfo.xml" @ONLY)
        install(FILES "${PROJECT_BINARY_DIR}/packaging/${ZB_APPSTREAM_ID}.metainfo.xml"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
        foreach(size 16 22 24 32 48 64 128 256 512)
            install(FILES "${ZB_PACKAGING_DIR}/icons/hicolor/${size}x${size}/apps/zaibridge.png"
                DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps")
        endforeach()
    endif()
    # lib/systemd/user, not ${CMAKE_INSTALL_LIBDIR} (which is lib/x86_64-linux-gnu on Debian).
    install(FILES "${ZB_PACKAGING_DIR}/linux/zaibridge-server.service"
        DESTINATION "lib/systemd/user")

    # ---- CPack DEB ----------------------------------------------------------------------------
    set(CPACK_GENERATOR "DEB;TGZ")
    set(CPACK_DEBIAN_PACKAGE_NAME "zaibridge")
    set(CPACK_DEBIAN_PACKAGE_VERSION "${PROJECT_VERSION}")
    set(CPACK_DEBIAN_PACKAGE_RELEASE 1)   # the package's version: PROJECT_VERSION-1
    set(ZB_DEB_VERSION "${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)   # zaibridge_VERSION-1_ARCH.deb
    set(CPACK_DEBIAN_PACKAGE_SECTION "net")
    set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
    set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
    # The synopsis is CPACK_PACKAGE_DESCRIPTION_SUMMARY; this is the extended description.
    set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "ZaiBridge serves the OpenAI API (models and chat completions, streaming, tool
calling, images, JSON output) on the local machine and turns every request
into a call to the Z.AI web chat, for coding agents such as Cline, Roo Code
and Kilo Code and for the OpenAI SDKs.
.
This package contains the tray application (zaibridge) and the headless
server (zaibridge-server) with a systemd user unit.")
    # The Qt libraries, QtKeychain and libc come from dpkg-shlibdeps; QtKeychain loads libsecret at
    # run time (so shlibdeps cannot see it), and the tray needs Qt's platform plugins.
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    if(ZB_BUILD_GUI)
        set(CPACK_DEBIAN_PACKAGE_DEPENDS "libsecret-1-0, qt6-qpa-plugins")
        set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager | keepassxc")
        set(CPACK_DEBIAN_PACKAGE_SUGGESTS "qt6-translations-l10n")
    endif()

    # Debian policy files: the copyright file and a changelog, compressed without a timestamp.
    set(_zb_doc "${PROJECT_BINARY_DIR}/packaging/doc")
    configure_file("${ZB_PACKAGING_DIR}/linux/changelog.Debian.in" "${_zb_doc}/changelog.Debian" @ONLY)
    # The manual pages, compressed the same way.
    find_program(ZB_GZIP gzip)
    if(ZB_GZIP)
        execute_process(COMMAND "${ZB_GZIP}" -9nf "${_zb_doc}/changelog.Debian")
        install(FILES "${_zb_doc}/changelog.Debian.gz"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/zaibridge")
        foreach(page zaibridge.1 zaibridge-server.1)
            execute_process(COMMAND "${ZB_GZIP}" -9nc "${ZB_PACKAGING_DIR}/linux/${page}"
                OUTPUT_FILE "${_zb_doc}/${page}.gz")
            install(FILES "${_zb_doc}/${page}.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
        endforeach()
    endif()
    install(FILES "${ZB_PACKAGING_DIR}/linux/copyright"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/zaibridge")
elseif(WIN32)
    # ---- Windows: NSIS installer and a portable ZIP (the deploy rules are above) ----------
    set(CPACK_GENERATOR "NSIS;ZIP")
    set(CPACK_PACKAGE_FILE_NAME "ZaiBridge-${PROJECT_VERSION}-windows-x64")
elseif(APPLE)
    # ---- macOS: the bundle (Info.plist and icon are set above) in a DragNDrop disk image -----
    set(CPACK_GENERATOR "DragNDrop")
    set(CPACK_PACKAGE_FILE_NAME "ZaiBridge-${PROJECT_VERSION}-macos")
    set(CPACK_DMG_VOLUME_NAME "ZaiBridge ${PROJECT_VERSION}")
    set(CPACK_DMG_FORMAT "UDZO")
    # The disk image carries the .app and a link to /Applications to drag it onto; the bundle is
    # signed in the staging directory when the signing secrets exist (sign-and-notarize.sh).
    set(CPACK_PRE_BUILD_SCRIPTS "${ZB_PACKAGING_DIR}/macos/codesign.cmake")
endif()

include(CPack)
