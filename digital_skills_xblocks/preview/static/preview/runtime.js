/* XBlock JavaScript runtime version 1 without jQuery, for preview unit pages whose
   blocks all come from digital_skills_xblocks. It calls each block's init function and
   builds handler URLs as the XBlock SDK workbench's runtime/1.js does, but passes plain
   DOM elements and does not initialise asides (the preview keeps runtime/1.js on pages
   that render one). A block whose init function is missing or throws is logged with
   console.error and skipped, so the other blocks still start. */
(function () {
  "use strict";

  var BLOCK = ".xblock-v1";

  // The nearest block element that contains node, not counting node itself.
  function ownerBlock(node) {
    return node.parentElement ? node.parentElement.closest(BLOCK) : null;
  }

  var runtime = {
    handlerUrl: function (element, handlerName, suffix, query) {
      // data-url_selector names the global that contains the base URL (asides use asideBaseUrl).
      var baseName = element.getAttribute("data-url_selector") || "handlerBaseUrl";
      var baseUrl = window[baseName];
      if (typeof baseUrl !== "string" || window.studentId === undefined) {
        throw new Error("XBlock runtime: the page must define the globals " + baseName + " and studentId");
      }
      return baseUrl + element.getAttribute("data-usage") + "/" + handlerName + "/" +
        (suffix === undefined ? "" : suffix) + "?student=" + window.studentId + "&" +
        (query === undefined ? "" : query);
    },
    children: function (element) {
      return element.xblock_children;
    },
    childMap: function (element, childName) {
      var children = runtime.children(element) || [];
      for (var i = 0; i < children.length; i++) {
        // Loose equality, as runtime/1.js compares, so that childMap(element, 2) finds data-name="2".
        if (children[i].name == childName) {
          return children[i];
        }
      }
      return undefined;
    }
  };

  // The JSON of the block's own .xblock_json_init_args element, not a child block's.
  function jsonArgs(element) {
    var scripts = element.querySelectorAll(".xblock_json_init_args");
    for (var i = 0; i < scripts.length; i++) {
      if (ownerBlock(scripts[i]) === element) {
        return scripts[i].textContent ? JSON.parse(scripts[i].textContent) : {};
      }
    }
    return {};
  }

  function initBlock(element) {
    // Children first, as runtime/1.js does, so that an init function can call runtime.children().
    element.xblock_children = initBlocks(element);

    var version = element.getAttribute("data-runtime-version");
    if (version === null) {
      return null;
    }
    var initName = element.getAttribute("data-init");
    try {
      if (version !== "1") {
        throw new Error("unsupported XBlock runtime version " + version);
      }
      var InitFn = window[initName];
      if (typeof InitFn !== "function") {
        throw new Error("the init function " + initName + " is not defined");
      }
      var block = InitFn.length === 3 ?
        new InitFn(runtime, element, jsonArgs(element)) : new InitFn(runtime, element);
      block.element = element;
      block.name = element.hasAttribute("data-name") ? element.getAttribute("data-name") : undefined;
      return block;
    } catch (error) {
      console.error("XBlock " + element.getAttribute("data-usage") + " failed to initialise:", error);
      return null;
    }
  }

  // Initialise the blocks inside container that no other block inside it contains.
  function initBlocks(container) {
    var found = container.querySelectorAll(BLOCK);
    var blocks = [];
    for (var i = 0; i < found.length; i++) {
      var owner = ownerBlock(found[i]);
      if (owner === null || owner === container) {
        var block = initBlock(found[i]);
        if (block) {
          blocks.push(block);
        }
      }
    }
    return blocks;
  }

  function start() {
    initBlocks(document.body);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
